/*
 * powercut.c: a power cut for crash tests, loaded with LD_PRELOAD.
 *
 * It models a disk with a volatile write cache, for the files under one
 * folder (POWERCUT_DIR), and at a chosen moment cuts the power: everything
 * the program wrote that the disk was not told to keep is lost, and the
 * program stops dead. Whatever the operating system already held in its page
 * cache is gone too, which a SIGKILL cannot show.
 *
 * Environment:
 *   POWERCUT_DIR     the folder whose files are on the modelled disk
 *                    (an absolute path without symbolic links); unset: the
 *                    shim does nothing at all.
 *   POWERCUT_AFTER   N > 0: cut the power just after the N-th event (below);
 *                    0 or unset: never (count events only).
 *   POWERCUT_REPORT  a file; at a normal exit the number of events is
 *                    written there (to choose cut points in a range).
 *   POWERCUT_STASH   where unlinked files wait until the unlink is durable;
 *                    default "<POWERCUT_DIR>.powercut-stash" (a sibling, so on
 *                    the same file system and outside the modelled folder).
 *
 * powercut_here(), which a program may call (ctypes.CDLL(None).powercut_here),
 * marks the moment it has told the person "done": when a cut is set
 * (POWERCUT_AFTER > 0) and has not come yet, it comes now, so that what was
 * acknowledged meets the power cut at once; when none is set, the number of
 * events so far is written to POWERCUT_REPORT (the events up to "done").
 *
 * An event is one intercepted call that changes or syncs something under the
 * folder: write, pwrite, pwrite64, writev, ftruncate, fsync, fdatasync, a
 * file created by open/openat/creat, an O_TRUNC open of a file, mkdir,
 * unlink, rmdir, rename, renameat.
 *
 * What the model keeps through a cut:
 *   - File contents: every write (and truncation) of a file is volatile until
 *     fsync or fdatasync on any descriptor of that file (by inode). Before
 *     each write the bytes it overwrites are saved; the cut puts them back,
 *     newest first, then sets the length the file had at its last sync. A
 *     file that existed before the program started counts as synced as found.
 *   - Names (creations, mkdir, unlink, rmdir, rename): kept in one ordered
 *     log, the way a journaling file system commits them in order. An fsync
 *     on a descriptor opened on a directory makes the log durable up to the
 *     last change that touched that directory (the directory holding a name
 *     made or removed; for a rename, either of its two directories: a rename
 *     is one atomic step). Later changes are undone by the cut, newest first:
 *     a created file or folder is removed, an unlinked one comes back (it was
 *     moved to the stash instead of being deleted), a rename is reversed, a
 *     file a rename replaced comes back. An fsync of a file does NOT make
 *     its own name durable (POSIX does not promise it; ext4 happens to).
 *   - SQLite's "-shm" files (shared memory, written through mmap) are not
 *     durable state: they are left out of the model and deleted by the cut,
 *     as a reboot makes them worthless.
 * Then the shim calls _exit(86) (POWERCUT_EXIT): no buffer is flushed, no
 * atexit handler runs.
 *
 * The real fsync/fdatasync is skipped for modelled files and folders: the
 * shim is the disk here, and the tests run faster without real syncs.
 *
 * A program that ends without a cut (normally, or killed) keeps everything
 * it wrote, as with a real kernel; unlinked files then leave the stash.
 *
 * Not modelled (the app does not use them under the folder; a program that
 * does is outside what this shim can judge): writes through mmap, stdio's
 * own internal open/write (fopen), pwritev, sendfile, copy_file_range,
 * fallocate, truncate() by path, O_SYNC/O_DSYNC, O_TMPFILE, sync() and
 * syncfs(), hard and symbolic links, renameat2, a subset of the unsynced
 * writes surviving (a cut keeps none of them, so a torn or reordered write is
 * never produced), and a cut in the middle of a call: calls are serialised
 * by one lock and the cut comes between them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define POWERCUT_EXIT 86
#define SHADOW_FLOOR 700 /* our own descriptors live above this, out of the program's way */

/* the real functions ------------------------------------------------------ */
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_ftruncate)(int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_mkdirat)(int, const char *, mode_t);
static int (*real_rmdir)(const char *);

/* the state --------------------------------------------------------------- */
static int active;                  /* POWERCUT_DIR set */
static char root[PATH_MAX];         /* POWERCUT_DIR */
static size_t root_len;
static char stash[PATH_MAX + 32];   /* where unlinked names wait */
static char report[PATH_MAX];
static unsigned long cut_after;     /* 0: never */
static unsigned long events;
static unsigned long stashed;       /* names given out in the stash */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* one write's undo: the bytes it overwrote */
typedef struct {
    off_t offset;
    size_t length;
    char *old;
} Undo;

/* a file whose contents are modelled (found by inode, whatever its name) */
typedef struct {
    dev_t dev;
    ino_t ino;
    int shadow;         /* our own read-write descriptor on it */
    off_t synced_size;  /* its length at the last sync */
    Undo *undo;         /* writes since the last sync, oldest first */
    size_t n_undo, cap_undo;
} File;

static File *files;
static size_t n_files, cap_files;

/* one change of names, in the ordered log */
enum { OP_CREATE, OP_MKDIR, OP_UNLINK, OP_RENAME };
typedef struct {
    int kind;
    char *path;     /* the name made, removed, or a rename's new name */
    char *from;     /* a rename's old name */
    char *stashed;  /* OP_UNLINK: where the object waits */
    dev_t dev1, dev2;
    ino_t dir1, dir2; /* the directories it touched (dir2: a rename's old one) */
} Op;

static Op *ops;
static size_t n_ops, cap_ops, durable_ops; /* ops[0 .. durable_ops) survive a cut */

static char **shm_paths;
static size_t n_shm, cap_shm;

static void *grow(void *array, size_t *cap, size_t need, size_t size) {
    if (need <= *cap)
        return array;
    size_t next = *cap ? *cap * 2 : 16;
    while (next < need)
        next *= 2;
    void *bigger = realloc(array, next * size);
    if (!bigger) {
        fprintf(stderr, "powercut: out of memory\n");
        _exit(POWERCUT_EXIT + 1);
    }
    *cap = next;
    return bigger;
}

__attribute__((constructor)) static void start(void) {
    real_open = dlsym(RTLD_NEXT, "open");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_rename = dlsym(RTLD_NEXT, "rename");
    real_renameat = dlsym(RTLD_NEXT, "renameat");
    real_unlink = dlsym(RTLD_NEXT, "unlink");
    real_unlinkat = dlsym(RTLD_NEXT, "unlinkat");
    real_mkdir = dlsym(RTLD_NEXT, "mkdir");
    real_mkdirat = dlsym(RTLD_NEXT, "mkdirat");
    real_rmdir = dlsym(RTLD_NEXT, "rmdir");
    const char *dir = getenv("POWERCUT_DIR");
    if (!dir || !*dir || strlen(dir) > PATH_MAX / 2)
        return;
    snprintf(root, sizeof root, "%s", dir);
    root_len = strlen(root);
    while (root_len > 1 && root[root_len - 1] == '/')
        root[--root_len] = 0;
    const char *where = getenv("POWERCUT_STASH");
    if (where && *where && strlen(where) < PATH_MAX / 2)
        snprintf(stash, sizeof stash, "%s", where);
    else
        snprintf(stash, sizeof stash, "%s.powercut-stash", root);
    const char *after = getenv("POWERCUT_AFTER");
    cut_after = after ? strtoul(after, NULL, 10) : 0;
    const char *out = getenv("POWERCUT_REPORT");
    if (out)
        snprintf(report, sizeof report, "%s", out);
    active = 1;
}

/* paths ------------------------------------------------------------------- */

/* ``path`` (relative to ``dirfd``) as an absolute path in ``out``; -1 if unknown */
static int absolute(int dirfd, const char *path, char *out) {
    if (!path)
        return -1;
    if (path[0] == '/') {
        if (snprintf(out, PATH_MAX, "%s", path) >= PATH_MAX)
            return -1;
    } else {
        char base[PATH_MAX];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base))
                return -1;
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t n = readlink(link, base, sizeof base - 1);
            if (n < 0)
                return -1;
            base[n] = 0;
        }
        if (strlen(base) + 1 + strlen(path) >= PATH_MAX)
            return -1; /* too long to model: passed through as it is */
        memcpy(out, base, strlen(base));
        out[strlen(base)] = '/';
        strcpy(out + strlen(base) + 1, path);
    }
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        out[--n] = 0;
    return 0;
}

static int under_root(const char *path) {
    return strncmp(path, root, root_len) == 0 && (path[root_len] == '/' || path[root_len] == 0);
}

static int is_shm(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, "-shm") == 0;
}

/* the directory holding ``path`` */
static int parent_of(const char *path, dev_t *dev, ino_t *ino) {
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (!slash)
        return -1;
    if (slash == parent)
        slash[1] = 0;
    else
        *slash = 0;
    struct stat st;
    if (stat(parent, &st) != 0)
        return -1;
    *dev = st.st_dev;
    *ino = st.st_ino;
    return 0;
}

/* files ------------------------------------------------------------------- */
static File *file_of(dev_t dev, ino_t ino) {
    for (size_t i = 0; i < n_files; i++)
        if (files[i].ino == ino && files[i].dev == dev)
            return &files[i];
    return NULL;
}

static File *file_of_fd(int fd) {
    struct stat st;
    if (n_files == 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    return file_of(st.st_dev, st.st_ino);
}

/* start modelling the file open on ``fd`` (new: it was just created, so its synced length is 0) */
static File *watch(int fd, const char *path, int new) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    File *known = file_of(st.st_dev, st.st_ino);
    if (known)
        return known;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int shadow = real_open(link, O_RDWR | O_CLOEXEC);
    if (shadow < 0) {
        fprintf(stderr, "powercut: cannot watch %s: %s\n", path, strerror(errno));
        return NULL;
    }
    int high = fcntl(shadow, F_DUPFD_CLOEXEC, SHADOW_FLOOR);
    if (high >= 0) {
        close(shadow);
        shadow = high;
    }
    files = grow(files, &cap_files, n_files + 1, sizeof *files);
    File *f = &files[n_files++];
    memset(f, 0, sizeof *f);
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->shadow = shadow;
    f->synced_size = new ? 0 : st.st_size;
    return f;
}

/* save the bytes a write of ``length`` at ``offset`` is about to overwrite */
static void save_old(File *f, off_t offset, size_t length) {
    struct stat st;
    if (length == 0 || fstat(f->shadow, &st) != 0 || offset >= st.st_size)
        return; /* beyond the end: the synced length takes care of it */
    if ((off_t)length > st.st_size - offset)
        length = st.st_size - offset;
    char *old = malloc(length);
    if (!old) {
        fprintf(stderr, "powercut: out of memory\n");
        _exit(POWERCUT_EXIT + 1);
    }
    ssize_t got = pread(f->shadow, old, length, offset);
    if (got <= 0) {
        free(old);
        return;
    }
    f->undo = grow(f->undo, &f->cap_undo, f->n_undo + 1, sizeof *f->undo);
    f->undo[f->n_undo++] = (Undo){offset, (size_t)got, old};
}

static void synced(File *f) {
    for (size_t i = 0; i < f->n_undo; i++)
        free(f->undo[i].old);
    f->n_undo = 0;
    struct stat st;
    if (fstat(f->shadow, &st) == 0)
        f->synced_size = st.st_size;
}

/* the log of names -------------------------------------------------------- */
static Op *log_op(int kind, const char *path) {
    ops = grow(ops, &cap_ops, n_ops + 1, sizeof *ops);
    Op *op = &ops[n_ops++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->path = strdup(path);
    if (parent_of(path, &op->dev1, &op->dir1) != 0)
        op->dir1 = 0;
    return op;
}

/* fsync of a directory: the log is durable up to its last change in that directory */
static void directory_synced(dev_t dev, ino_t ino) {
    for (size_t i = n_ops; i > durable_ops; i--) {
        Op *op = &ops[i - 1];
        if ((op->dir1 == ino && op->dev1 == dev) || (op->dir2 == ino && op->dev2 == dev)) {
            durable_ops = i;
            return;
        }
    }
}

/* move ``path`` (a file, or an empty folder) to the stash instead of deleting it */
static int to_stash(const char *path) {
    char where[sizeof stash + 32];
    real_mkdir(stash, 0700);
    snprintf(where, sizeof where, "%s/%lu", stash, ++stashed);
    Op *op = log_op(OP_UNLINK, path);
    if (real_rename(path, where) != 0) {
        int saved = errno;
        free(op->path);
        n_ops--;
        errno = saved;
        return -1;
    }
    op->stashed = strdup(where);
    return 0;
}

static void remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (dir) {
            struct dirent *entry;
            char child[PATH_MAX];
            while ((entry = readdir(dir)) != NULL) {
                if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                    continue;
                snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
                remove_tree(child);
            }
            closedir(dir);
        }
        real_rmdir(path);
    } else {
        real_unlink(path);
    }
}

/* the cut ------------------------------------------------------------------ */
static void power_cut(void) {
    /* 1. contents: the bytes of every write since the file's last sync come back, then its synced length */
    for (size_t i = 0; i < n_files; i++) {
        File *f = &files[i];
        for (size_t j = f->n_undo; j > 0; j--) {
            Undo *u = &f->undo[j - 1];
            if (real_pwrite(f->shadow, u->old, u->length, u->offset) < 0)
                fprintf(stderr, "powercut: cannot undo a write: %s\n", strerror(errno));
        }
        real_ftruncate(f->shadow, f->synced_size);
    }
    /* 2. shared memory files are worthless after a reboot */
    for (size_t i = 0; i < n_shm; i++)
        real_unlink(shm_paths[i]);
    /* 3. names: every change after the durable part of the log is undone, newest first */
    for (size_t i = n_ops; i > durable_ops; i--) {
        Op *op = &ops[i - 1];
        switch (op->kind) {
        case OP_CREATE:
            real_unlink(op->path);
            break;
        case OP_MKDIR:
            real_rmdir(op->path);
            break;
        case OP_UNLINK:
            real_rename(op->stashed, op->path);
            break;
        case OP_RENAME:
            real_rename(op->path, op->from);
            break;
        }
    }
    /* 4. what was unlinked for good leaves the stash */
    remove_tree(stash);
    _exit(POWERCUT_EXIT);
}

static void event(void) {
    events++;
    if (cut_after && events >= cut_after)
        power_cut();
}

static int reported;

static void write_report(void) {
    if (!report[0] || reported)
        return;
    reported = 1;
    int fd = real_open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        char line[32];
        int n = snprintf(line, sizeof line, "%lu\n", events);
        real_write(fd, line, n);
        close(fd);
    }
}

void powercut_here(void) {
    if (!active)
        return;
    pthread_mutex_lock(&lock);
    if (cut_after)
        power_cut();
    write_report();
    pthread_mutex_unlock(&lock);
}

__attribute__((destructor)) static void finish(void) {
    if (!active)
        return;
    remove_tree(stash); /* a normal exit: unlinked means gone */
    write_report();
}

/* opening ------------------------------------------------------------------- */
static int opened(int dirfd, const char *path, int flags, mode_t mode) {
    char abs[PATH_MAX];
    if (!active || (flags & O_TMPFILE) == O_TMPFILE || absolute(dirfd, path, abs) != 0 || !under_root(abs))
        return real_openat(dirfd, path, flags, mode);
    if (is_shm(abs)) {
        int fd = real_openat(dirfd, path, flags, mode);
        if (fd >= 0) {
            pthread_mutex_lock(&lock);
            int known = 0;
            for (size_t i = 0; i < n_shm; i++)
                known |= strcmp(shm_paths[i], abs) == 0;
            if (!known) {
                shm_paths = grow(shm_paths, &cap_shm, n_shm + 1, sizeof *shm_paths);
                shm_paths[n_shm++] = strdup(abs);
            }
            pthread_mutex_unlock(&lock);
        }
        return fd;
    }
    pthread_mutex_lock(&lock);
    struct stat st;
    int existed = lstat(abs, &st) == 0;
    int writing = (flags & O_ACCMODE) != O_RDONLY;
    int truncating = existed && writing && (flags & O_TRUNC) && S_ISREG(st.st_mode);
    /* a truncation is a write like any other: done below, so that the old bytes are saved */
    int fd = real_openat(dirfd, path, truncating ? flags & ~O_TRUNC : flags, mode);
    if (fd >= 0) {
        int created = !existed && (flags & O_CREAT);
        File *f = (writing || created) ? watch(fd, abs, created) : NULL;
        if (created) {
            log_op(OP_CREATE, abs);
            event();
        }
        if (truncating && f) {
            save_old(f, 0, (size_t)st.st_size);
            real_ftruncate(fd, 0);
            event();
        } else if (truncating) {
            real_ftruncate(fd, 0);
        }
    }
    pthread_mutex_unlock(&lock);
    return fd;
}

static mode_t mode_of(int flags, va_list args) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(args, mode_t) : 0;
}

int open(const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_of(flags, args);
    va_end(args);
    return opened(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_of(flags, args);
    va_end(args);
    return opened(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_of(flags, args);
    va_end(args);
    return opened(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_of(flags, args);
    va_end(args);
    return opened(dirfd, path, flags, mode);
}

/* what _FORTIFY_SOURCE builds call */
int __open_2(const char *path, int flags) { return opened(AT_FDCWD, path, flags, 0); }
int __open64_2(const char *path, int flags) { return opened(AT_FDCWD, path, flags, 0); }
int __openat_2(int dirfd, const char *path, int flags) { return opened(dirfd, path, flags, 0); }
int __openat64_2(int dirfd, const char *path, int flags) { return opened(dirfd, path, flags, 0); }

int creat(const char *path, mode_t mode) { return opened(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
int creat64(const char *path, mode_t mode) { return opened(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

/* writing ------------------------------------------------------------------- */

/* where a write() or writev() on ``fd`` lands */
static off_t position(int fd, File *f) {
    if (fcntl(fd, F_GETFL) & O_APPEND) {
        struct stat st;
        return fstat(f->shadow, &st) == 0 ? st.st_size : 0;
    }
    return lseek(fd, 0, SEEK_CUR);
}

ssize_t write(int fd, const void *buffer, size_t length) {
    if (!active)
        return real_write(fd, buffer, length);
    pthread_mutex_lock(&lock);
    File *f = file_of_fd(fd);
    if (!f) {
        pthread_mutex_unlock(&lock);
        return real_write(fd, buffer, length);
    }
    save_old(f, position(fd, f), length);
    ssize_t done = real_write(fd, buffer, length);
    int saved = errno;
    event();
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

static ssize_t written_at(int fd, const void *buffer, size_t length, off_t offset) {
    if (!active)
        return real_pwrite(fd, buffer, length, offset);
    pthread_mutex_lock(&lock);
    File *f = file_of_fd(fd);
    if (!f) {
        pthread_mutex_unlock(&lock);
        return real_pwrite(fd, buffer, length, offset);
    }
    save_old(f, offset, length);
    ssize_t done = real_pwrite(fd, buffer, length, offset);
    int saved = errno;
    event();
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

ssize_t pwrite(int fd, const void *buffer, size_t length, off_t offset) {
    return written_at(fd, buffer, length, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t length, off_t offset) {
    return written_at(fd, buffer, length, offset);
}

ssize_t writev(int fd, const struct iovec *parts, int count) {
    if (!active)
        return real_writev(fd, parts, count);
    pthread_mutex_lock(&lock);
    File *f = file_of_fd(fd);
    if (!f) {
        pthread_mutex_unlock(&lock);
        return real_writev(fd, parts, count);
    }
    size_t length = 0;
    for (int i = 0; i < count; i++)
        length += parts[i].iov_len;
    save_old(f, position(fd, f), length);
    ssize_t done = real_writev(fd, parts, count);
    int saved = errno;
    event();
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

static int truncated(int fd, off_t length) {
    if (!active)
        return real_ftruncate(fd, length);
    pthread_mutex_lock(&lock);
    File *f = file_of_fd(fd);
    if (!f) {
        pthread_mutex_unlock(&lock);
        return real_ftruncate(fd, length);
    }
    struct stat st;
    if (fstat(f->shadow, &st) == 0 && length < st.st_size)
        save_old(f, length, (size_t)(st.st_size - length));
    int done = real_ftruncate(fd, length);
    int saved = errno;
    event();
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

int ftruncate(int fd, off_t length) { return truncated(fd, length); }
int ftruncate64(int fd, off_t length) { return truncated(fd, length); }

/* syncing ------------------------------------------------------------------- */
static int synced_call(int fd, int (*real)(int)) {
    struct stat st;
    if (!active || fstat(fd, &st) != 0)
        return real(fd);
    pthread_mutex_lock(&lock);
    if (S_ISDIR(st.st_mode)) {
        char path[PATH_MAX];
        if (absolute(fd, ".", path) == 0 && strlen(path) > 2) {
            path[strlen(path) - 2] = 0; /* "<dir>/." */
            if (under_root(path)) {
                directory_synced(st.st_dev, st.st_ino);
                event();
                pthread_mutex_unlock(&lock);
                return 0;
            }
        }
    } else if (S_ISREG(st.st_mode)) {
        File *f = file_of(st.st_dev, st.st_ino);
        if (f) {
            synced(f);
            event();
            pthread_mutex_unlock(&lock);
            return 0;
        }
    }
    pthread_mutex_unlock(&lock);
    return real(fd);
}

int fsync(int fd) { return synced_call(fd, real_fsync); }
int fdatasync(int fd) { return synced_call(fd, real_fdatasync); }

/* names ----------------------------------------------------------------------- */
static int made_folder(int dirfd, const char *path, mode_t mode) {
    char abs[PATH_MAX];
    if (!active || absolute(dirfd, path, abs) != 0 || !under_root(abs))
        return real_mkdirat(dirfd, path, mode);
    pthread_mutex_lock(&lock);
    int done = real_mkdirat(dirfd, path, mode);
    int saved = errno;
    if (done == 0) {
        log_op(OP_MKDIR, abs);
        event();
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

int mkdir(const char *path, mode_t mode) { return made_folder(AT_FDCWD, path, mode); }
int mkdirat(int dirfd, const char *path, mode_t mode) { return made_folder(dirfd, path, mode); }

static int folder_is_empty(const char *path) {
    DIR *dir = opendir(path);
    if (!dir)
        return 0;
    struct dirent *entry;
    int empty = 1;
    while (empty && (entry = readdir(dir)) != NULL)
        empty = strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0;
    closedir(dir);
    return empty;
}

/* unlink or rmdir, done as a move to the stash so that a cut can bring it back */
static int removed(int dirfd, const char *path, int folder) {
    char abs[PATH_MAX];
    if (!active || absolute(dirfd, path, abs) != 0 || !under_root(abs) || is_shm(abs))
        return folder ? real_unlinkat(dirfd, path, AT_REMOVEDIR) : real_unlinkat(dirfd, path, 0);
    pthread_mutex_lock(&lock);
    struct stat st;
    int done;
    if (lstat(abs, &st) != 0) {
        done = -1; /* errno from lstat: ENOENT, ENOTDIR... */
    } else if (folder && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        done = -1;
    } else if (!folder && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        done = -1;
    } else if (folder && !folder_is_empty(abs)) {
        errno = ENOTEMPTY;
        done = -1;
    } else {
        done = to_stash(abs);
        if (done == 0)
            event();
    }
    int saved = errno;
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

int unlink(const char *path) { return removed(AT_FDCWD, path, 0); }
int rmdir(const char *path) { return removed(AT_FDCWD, path, 1); }
int unlinkat(int dirfd, const char *path, int flags) { return removed(dirfd, path, (flags & AT_REMOVEDIR) != 0); }

static int renamed(int olddirfd, const char *old, int newdirfd, const char *new) {
    char from[PATH_MAX], to[PATH_MAX];
    if (!active || absolute(olddirfd, old, from) != 0 || absolute(newdirfd, new, to) != 0
        || !(under_root(from) || under_root(to)) || is_shm(from) || is_shm(to))
        return real_renameat(olddirfd, old, newdirfd, new);
    pthread_mutex_lock(&lock);
    struct stat source, target;
    int replacing = lstat(from, &source) == 0 && lstat(to, &target) == 0
                    && !(source.st_dev == target.st_dev && source.st_ino == target.st_ino);
    if (replacing && S_ISDIR(target.st_mode) && !(S_ISDIR(source.st_mode) && folder_is_empty(to)))
        replacing = 0; /* the real rename refuses it (ENOTEMPTY, EISDIR): let it say so */
    if (replacing && !S_ISDIR(target.st_mode) && S_ISDIR(source.st_mode))
        replacing = 0; /* ENOTDIR, likewise */
    size_t before = n_ops;
    if (replacing && to_stash(to) != 0) {
        int saved = errno;
        pthread_mutex_unlock(&lock);
        errno = saved;
        return -1;
    }
    int done = real_rename(from, to);
    int saved = errno;
    if (done == 0) {
        Op *op = log_op(OP_RENAME, to);
        op->from = strdup(from);
        if (parent_of(from, &op->dev2, &op->dir2) != 0)
            op->dir2 = 0;
        event();
    } else if (n_ops > before) { /* put back what was moved aside */
        real_rename(ops[n_ops - 1].stashed, to);
        n_ops--;
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return done;
}

int rename(const char *old, const char *new) { return renamed(AT_FDCWD, old, AT_FDCWD, new); }
int renameat(int olddirfd, const char *old, int newdirfd, const char *new) {
    return renamed(olddirfd, old, newdirfd, new);
}
