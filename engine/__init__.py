"""The drill engine: the simpy simulation and the append-only event log it writes."""
