/* ttd-bench-first-frame.c — time from exec to a window's first frame, from outside
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: ttd-bench-first-frame --title TEXT [--timeout SECONDS] [--wait-exit MS]
 *                               -- COMMAND [ARG…]
 *
 * Watches the X display in $DISPLAY (Xvfb in the benchmark), starts
 * COMMAND, and waits for the first top-level window whose title contains
 * TEXT to be mapped and then drawn into: the DAMAGE extension reports the
 * first rendering into the window's pixels, which is the first frame the
 * program presents, however it draws (GL or cairo). The same measurement
 * serves the app and the minimal GTK window, so the two are comparable;
 * the program under test needs no hook and polls nothing.
 *
 * Then it stops COMMAND with SIGTERM (after waiting up to --wait-exit ms,
 * default 0, for it to quit by itself, as ttd-bench-minimal does) and
 * prints one JSON line:
 *   {"map_ms": M, "first_frame_ms": F, "first_frame_us": T, "self_reported_ms": S}
 * M and F are milliseconds since just before fork(), T is CLOCK_MONOTONIC
 * (µs) of the first frame, S is the "self_reported_ms" the program printed
 * on its stdout, if any (ttd-bench-minimal does), else null. COMMAND gets
 * $TTD_BENCH_T0_US, the CLOCK_MONOTONIC µs the figures count from.
 *
 * Exit status 0 on success, 1 on timeout or when COMMAND exits before its
 * first frame, 2 on usage errors.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>

#define MAX_WINDOWS 256

typedef struct
{
  Window  window;
  Damage  damage;
  int     mapped;
  long    map_us;
} Tracked;

static Tracked tracked[MAX_WINDOWS];
static int n_tracked;

static long
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* Windows come and go while we look at them: ignore BadWindow and friends. */
static int
ignore_errors (Display     *display,
               XErrorEvent *event)
{
  return 0;
}

static Tracked *
find (Window window)
{
  for (int i = 0; i < n_tracked; i++)
    if (tracked[i].window == window)
      return &tracked[i];
  return NULL;
}

static int
title_matches (Display    *display,
               Window      window,
               const char *title)
{
  Atom net_wm_name = XInternAtom (display, "_NET_WM_NAME", False);
  Atom utf8 = XInternAtom (display, "UTF8_STRING", False);
  Atom type;
  int format;
  unsigned long n_items;
  unsigned long after;
  unsigned char *data = NULL;
  char *name = NULL;
  int match = 0;

  if (XGetWindowProperty (display, window, net_wm_name, 0, 1024, False, utf8, &type, &format,
                          &n_items, &after, &data) == Success && data != NULL)
    {
      match = strstr ((char *) data, title) != NULL;
      XFree (data);
      if (match)
        return 1;
    }

  if (XFetchName (display, window, &name) && name != NULL)
    {
      match = strstr (name, title) != NULL;
      XFree (name);
    }

  return match;
}

/* Reads what the child printed and picks "self_reported_ms" out of it. */
static void
read_self_reported (int   fd,
                    char *out,
                    int   out_size)
{
  char buffer[8192];
  size_t used = 0;
  ssize_t n;
  const char *key;
  double value;

  snprintf (out, out_size, "null");
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK);
  while (used < sizeof buffer - 1 && (n = read (fd, buffer + used, sizeof buffer - 1 - used)) > 0)
    used += n;
  buffer[used] = '\0';

  key = strstr (buffer, "\"self_reported_ms\":");
  if (key != NULL && sscanf (key + strlen ("\"self_reported_ms\":"), " %lf", &value) == 1)
    snprintf (out, out_size, "%.3f", value);
}

int
main (int   argc,
      char *argv[])
{
  const char *title = NULL;
  double timeout_s = 60;
  int wait_exit_ms = 0;
  char **command = NULL;
  Display *display;
  Window root;
  int damage_event;
  int damage_error;
  int out_pipe[2];
  long t0;
  long deadline;
  long map_us = -1;
  long frame_us = -1;
  int child_status = 0;
  int child_exited = 0;
  char t0_text[32];
  char self_reported[64];
  pid_t child;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--title") == 0 && i + 1 < argc)
        title = argv[++i];
      else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        timeout_s = atof (argv[++i]);
      else if (strcmp (argv[i], "--wait-exit") == 0 && i + 1 < argc)
        wait_exit_ms = atoi (argv[++i]);
      else if (strcmp (argv[i], "--") == 0 && i + 1 < argc)
        {
          command = &argv[i + 1];
          break;
        }
      else
        break;
    }
  if (title == NULL || command == NULL)
    {
      fprintf (stderr, "Usage: %s --title TEXT [--timeout SECONDS] [--wait-exit MS] -- COMMAND [ARG…]\n",
               argv[0]);
      return 2;
    }

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "Cannot open the X display.\n");
      return 1;
    }
  if (!XDamageQueryExtension (display, &damage_event, &damage_error))
    {
      fprintf (stderr, "The X server has no DAMAGE extension.\n");
      return 1;
    }
  XSetErrorHandler (ignore_errors);
  root = DefaultRootWindow (display);
  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, False);
  fcntl (ConnectionNumber (display), F_SETFD, FD_CLOEXEC);

  if (pipe (out_pipe) != 0)
    return 1;

  t0 = now_us ();
  snprintf (t0_text, sizeof t0_text, "%ld", t0);
  setenv ("TTD_BENCH_T0_US", t0_text, 1);
  child = fork ();
  if (child < 0)
    return 1;
  if (child == 0)
    {
      dup2 (out_pipe[1], STDOUT_FILENO);
      close (out_pipe[0]);
      close (out_pipe[1]);
      execvp (command[0], command);
      fprintf (stderr, "Cannot run %s: %s\n", command[0], strerror (errno));
      _exit (127);
    }
  close (out_pipe[1]);
  deadline = t0 + (long) (timeout_s * 1e6);

  while (frame_us < 0)
    {
      struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };
      long left = deadline - now_us ();

      while (frame_us < 0 && XPending (display))
        {
          XEvent event;
          Tracked *t;

          XNextEvent (display, &event);
          if (event.type == CreateNotify && event.xcreatewindow.parent == root &&
              n_tracked < MAX_WINDOWS)
            {
              t = &tracked[n_tracked++];
              t->window = event.xcreatewindow.window;
              t->damage = XDamageCreate (display, t->window, XDamageReportNonEmpty);
              t->mapped = 0;
            }
          else if (event.type == MapNotify && (t = find (event.xmap.window)) != NULL)
            {
              t->mapped = 1;
              t->map_us = now_us ();
            }
          else if (event.type == UnmapNotify && (t = find (event.xunmap.window)) != NULL)
            t->mapped = 0;
          else if (event.type == damage_event + XDamageNotify)
            {
              XDamageNotifyEvent *damage = (XDamageNotifyEvent *) &event;

              t = find (damage->drawable);
              if (t == NULL)
                continue;
              XDamageSubtract (display, t->damage, None, None);
              if (t->mapped && title_matches (display, t->window, title))
                {
                  frame_us = now_us ();
                  map_us = t->map_us;
                }
            }
        }
      if (frame_us >= 0)
        break;

      if (!child_exited && waitpid (child, &child_status, WNOHANG) == child)
        child_exited = 1;
      if (child_exited)
        {
          /* Its last requests may still be on their way: one more look. */
          XSync (display, False);
          if (XPending (display))
            continue;
          fprintf (stderr, "%s exited (status %d) before a window titled “%s” was drawn.\n",
                   command[0], child_status, title);
          return 1;
        }
      if (left <= 0)
        {
          fprintf (stderr, "No window titled “%s” was drawn within %.0f s.\n", title, timeout_s);
          kill (child, SIGKILL);
          waitpid (child, NULL, 0);
          return 1;
        }
      poll (&pfd, 1, left / 1000 < 50 ? (int) (left / 1000) + 1 : 50);
    }

  for (int i = 0; i < wait_exit_ms / 10 && !child_exited; i++)
    {
      if (waitpid (child, &child_status, WNOHANG) == child)
        child_exited = 1;
      else
        usleep (10000);
    }
  if (!child_exited)
    {
      kill (child, SIGTERM);
      for (int i = 0; i < 500 && !child_exited; i++)
        {
          if (waitpid (child, &child_status, WNOHANG) == child)
            child_exited = 1;
          else
            usleep (10000);
        }
      if (!child_exited)
        {
          kill (child, SIGKILL);
          waitpid (child, NULL, 0);
        }
    }
  read_self_reported (out_pipe[0], self_reported, sizeof self_reported);

  printf ("{\"map_ms\": %.3f, \"first_frame_ms\": %.3f, \"first_frame_us\": %ld, \"self_reported_ms\": %s}\n",
          (map_us - t0) / 1000.0, (frame_us - t0) / 1000.0, frame_us, self_reported);

  return 0;
}
