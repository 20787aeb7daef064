"""The `kip` command line."""
