build-fuzz/table.o: site-gen/table.c site-gen/diag.h site-gen/table.h \
  site-gen/util.h

site-gen/diag.h:

site-gen/table.h:

site-gen/util.h:
