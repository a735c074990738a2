# ike/ conf: ipsec.conf / ipsec.secrets parsing.
