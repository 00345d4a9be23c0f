"""Notifications: the outbox of SMS and e-mail messages, the gateways that send them, delivery reports."""
