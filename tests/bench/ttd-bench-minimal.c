/* ttd-bench-minimal.c — the reference for build-aux/bench.sh's start-up figure
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: ttd-bench-minimal [--adw] [--size WxH] [--stay]
 *
 * GTK 4's "hello world": a GtkApplication (registered on the session bus,
 * as every GNOME app is) presenting one empty window titled
 * "TTD Bench Minimal", by default as large as the app's window (900×700).
 * With --adw, libadwaita's: an AdwApplication (which loads the Adwaita
 * style sheet) with an empty AdwApplicationWindow and an AdwHeaderBar —
 * what any libadwaita app pays before drawing anything of its own.
 * On the window's first frame (the frame clock's first "after-paint") it
 * prints one JSON line
 *   {"after_paint_us": T, "self_reported_ms": MS}
 * where T is CLOCK_MONOTONIC in µs and MS the time since the moment in
 * $TTD_BENCH_T0_US (set by ttd-bench-first-frame just before it started
 * this program; null without it), then quits unless --stay is given.
 */

#include <stdio.h>
#include <stdlib.h>
#include <gtk/gtk.h>
#include <adwaita.h>

static gint64 t0_us;
static int width = 900;
static int height = 700;
static gboolean stay;
static gboolean adw;
static gboolean painted;

static gboolean
quit_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  gint64 now = g_get_monotonic_time ();

  if (painted)
    return;
  painted = TRUE;

  if (t0_us > 0)
    printf ("{\"after_paint_us\": %" G_GINT64_FORMAT ", \"self_reported_ms\": %.3f}\n",
            now, (now - t0_us) / 1000.0);
  else
    printf ("{\"after_paint_us\": %" G_GINT64_FORMAT ", \"self_reported_ms\": null}\n", now);
  fflush (stdout);

  if (!stay)
    {
      /* Make sure the X server has the frame before the window goes away. */
      gdk_display_sync (gtk_widget_get_display (window));
      g_idle_add (quit_cb, gtk_window_get_application (GTK_WINDOW (window)));
    }
}

static void
realize_cb (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint",
                    G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window;

  if (adw)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      window = adw_application_window_new (app);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
    }
  else
    window = gtk_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "TTD Bench Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;
  const char *t0 = g_getenv ("TTD_BENCH_T0_US");

  if (t0 != NULL)
    t0_us = g_ascii_strtoll (t0, NULL, 10);

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--size") && i + 1 < argc &&
          sscanf (argv[i + 1], "%dx%d", &width, &height) == 2)
        i++;
      else if (g_str_equal (argv[i], "--stay"))
        stay = TRUE;
      else if (g_str_equal (argv[i], "--adw"))
        adw = TRUE;
      else
        {
          fprintf (stderr, "Usage: %s [--adw] [--size WxH] [--stay]\n", argv[0]);
          return 2;
        }
    }

  if (adw)
    app = GTK_APPLICATION (adw_application_new ("org.cofndrly.TikTokDrafts.BenchMinimal",
                                                G_APPLICATION_DEFAULT_FLAGS));
  else
    app = gtk_application_new ("org.cofndrly.TikTokDrafts.BenchMinimal", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
