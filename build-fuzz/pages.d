build-fuzz/pages.o: site-gen/pages.c site-gen/diag.h site-gen/markdown.h \
  site-gen/sg.h site-gen/util.h site-gen/output.h site-gen/pages.h \
  site-gen/sitemap.h site-gen/table.h site-gen/theme.h site-gen/source.h

site-gen/diag.h:

site-gen/markdown.h:

site-gen/sg.h:

site-gen/util.h:

site-gen/output.h:

site-gen/pages.h:

site-gen/sitemap.h:

site-gen/table.h:

site-gen/theme.h:

site-gen/source.h:
