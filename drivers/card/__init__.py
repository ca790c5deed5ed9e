"""drivers/card"""
