/* ttd-file-lock.c — an exclusive lock that other processes respect
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ttd-file-lock.h"

/* An flock on a file that only ever exists to be locked: the kernel drops
 * it when the holder exits, however it exits, so a crash never leaves a
 * stale lock behind. */
struct _TtdFileLock
{
  int fd;
};

/* How long to sleep between tries: short at first (the holder is usually
 * about to finish), never long enough to make cancelling feel slow. */
#define FIRST_PAUSE_US  (5 * 1000)
#define LONGEST_PAUSE_US (100 * 1000)

/**
 * ttd_file_lock_acquire:
 * @path: the lock file; it and its folder are created private to the user
 * @timeout_seconds: give up after this long
 *
 * Waits until no other process (or other lock in this one) holds @path.
 * Blocks, so call it from a worker thread; cancelling @cancellable stops
 * the wait within a tenth of a second.
 *
 * Returns: (transfer full): the held lock, or %NULL with @error set
 *   (%G_IO_ERROR_TIMED_OUT when another holder kept it too long).
 */
TtdFileLock *
ttd_file_lock_acquire (const char    *path,
                       guint          timeout_seconds,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_seconds * G_USEC_PER_SEC;
  gulong pause = FIRST_PAUSE_US;
  TtdFileLock *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != EWOULDBLOCK && saved_errno != EINTR)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "%s: %s", path, g_strerror (saved_errno));
          goto fail;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;

      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "%s is still locked after %u seconds", path, timeout_seconds);
          goto fail;
        }

      g_usleep (pause);
      pause = MIN (pause * 2, LONGEST_PAUSE_US);
    }

  self = g_new0 (TtdFileLock, 1);
  self->fd = fd;

  return self;

fail:
  close (fd);
  return NULL;
}

void
ttd_file_lock_release (TtdFileLock *self)
{
  if (self == NULL)
    return;

  /* Closing the last descriptor drops the flock. */
  close (self->fd);
  g_free (self);
}
