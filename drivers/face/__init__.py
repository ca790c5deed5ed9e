"""drivers/face"""
