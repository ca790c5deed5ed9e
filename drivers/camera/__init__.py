"""drivers/camera"""
