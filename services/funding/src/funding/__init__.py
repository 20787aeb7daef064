"""The funding service: every franc of a cantonal integration programme, by source, with its rules."""
