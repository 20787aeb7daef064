"""The national-scale benchmark (`make bench`); see bench/README.md."""
