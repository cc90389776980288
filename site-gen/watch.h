/*
 * watch: file-change notification (inotify) for serve.  Paths are
 * reported as the folder given joined with the name that changed.
 */
#ifndef SG_WATCH_H
#define SG_WATCH_H

struct sg_diag;
struct sg_strv;
struct sg_watch;

/* A new watcher (free with sg_watch_free), or NULL after a fatal finding. */
struct sg_watch *sg_watch_new(struct sg_diag *d);
void sg_watch_free(struct sg_watch *w);
/* Watches dir and every folder below it, now and as they are created.
 * 0, or -1 after a fatal finding. */
int sg_watch_add_tree(struct sg_watch *w, const char *dir, struct sg_diag *d);
/* Watches the single entry name in dir (site.yml). 0 or -1. */
int sg_watch_add_name(struct sg_watch *w, const char *dir, const char *name,
    struct sg_diag *d);
/* The descriptor to poll for POLLIN. */
int sg_watch_fd(const struct sg_watch *w);
/*
 * Reads the pending events without blocking and appends each changed
 * path once to out ("*" when events were lost).  Returns how many were
 * added, or -1 after a fatal finding.
 */
int sg_watch_read(struct sg_watch *w, struct sg_strv *out, struct sg_diag *d);

#endif
