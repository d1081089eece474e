"""Reliability and security suite: faults, load, fuzzing, durability and hostile input."""
