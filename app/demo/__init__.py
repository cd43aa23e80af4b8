"""The demo site loaded by `flask seed-demo`."""
