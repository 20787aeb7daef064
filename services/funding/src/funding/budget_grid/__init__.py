"""The budget grid: a programme's whole plan as one sheet (funding areas × sources × years), out and back in."""
