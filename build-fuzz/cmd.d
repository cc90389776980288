build-fuzz/cmd.o: site-gen/cmd.c site-gen/cmd.h site-gen/diag.h \
  site-gen/load.h site-gen/sg.h site-gen/util.h site-gen/output.h \
  site-gen/pages.h site-gen/source.h site-gen/theme.h

site-gen/cmd.h:

site-gen/diag.h:

site-gen/load.h:

site-gen/sg.h:

site-gen/util.h:

site-gen/output.h:

site-gen/pages.h:

site-gen/source.h:

site-gen/theme.h:
