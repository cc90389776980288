build-fuzz/util.o: site-gen/util.c site-gen/util.h

site-gen/util.h:
