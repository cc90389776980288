build-fuzz/markdown.o: site-gen/markdown.c site-gen/diag.h \
  site-gen/markdown.h site-gen/sg.h site-gen/util.h site-gen/source.h \
  site-gen/table.h

site-gen/diag.h:

site-gen/markdown.h:

site-gen/sg.h:

site-gen/util.h:

site-gen/source.h:

site-gen/table.h:
