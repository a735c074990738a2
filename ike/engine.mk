# ike/ engine: the sans-I/O IKEv1 state machine.
