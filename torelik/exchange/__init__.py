"""Exchanges with the state's other systems: partners' clients and their journal, inbound messages
(enforcement, corrections, post) that become case events, and the document exchange with state
bodies in the manner of ESEDO (letters registered, signed with CMS and acknowledged)."""
