"""The blamelessness linter."""
