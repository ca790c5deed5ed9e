"""drivers/backend"""
