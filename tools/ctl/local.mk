# tools/ control protocol (natkeyctl <-> natkeyd).
noinst_LIBRARIES += tools/ctl/libctl.a
tools_ctl_libctl_a_SOURCES = tools/ctl/ctl_proto.c tools/ctl/ctl_proto.h tools/ctl/ctl_text.c
