build-fuzz/config.o: site-gen/config.c site-gen/config.h site-gen/diag.h \
  site-gen/util.h

site-gen/config.h:

site-gen/diag.h:

site-gen/util.h:
