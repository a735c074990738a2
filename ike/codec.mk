# ike/ codec: ISAKMP wire format (the only code that reads or writes ISAKMP bytes).
