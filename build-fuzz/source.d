build-fuzz/source.o: site-gen/source.c site-gen/diag.h site-gen/source.h \
  site-gen/util.h

site-gen/diag.h:

site-gen/source.h:

site-gen/util.h:
