build-fuzz/output.o: site-gen/output.c site-gen/diag.h site-gen/output.h \
  site-gen/util.h

site-gen/diag.h:

site-gen/output.h:

site-gen/util.h:
