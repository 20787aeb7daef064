"""The programme service: the structure of cantonal integration programmes (KIP) for every canton and period."""
