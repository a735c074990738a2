# tools/: natkeyd, natkeyctl and diagnostic tools, thin shells over library code.
