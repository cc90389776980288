build-fuzz/diag.o: site-gen/diag.c site-gen/diag.h site-gen/util.h

site-gen/diag.h:

site-gen/util.h:
