# tools/ control protocol (natkeyctl <-> natkeyd).
