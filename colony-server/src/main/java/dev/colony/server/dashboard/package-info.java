/** The live dashboard of colony serve under {@code /dash/}: pages, their SSE feed, sign-in and admin actions (ADR 0048). */
package dev.colony.server.dashboard;
