"""drivers/cardface"""
