"""Inputs of a drill: the region (world model), travel model, scenarios and their generator.

Everything here is data validated into typed pydantic models; nothing here runs a simulation.
"""
