"""The package version, in a module of its own so nothing has to import the package face to read it."""

__version__ = "0.3.6"
