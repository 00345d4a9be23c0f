"""E-subpoenas for hearings and the study of court documents by SMS login, delivered through notifications."""
