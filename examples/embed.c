/* Embedding trawk: a program that runs a bpftrace-language script through
 * libtrawk and prints its output.  Build it against an installed trawk:
 *
 *   cc -o embed embed.c $(pkg-config --cflags --libs trawk)
 *   sudo ./embed 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }'
 *
 * Ctrl-C ends the run as it ends the trawk command: the probes detach,
 * END runs and the maps print.  The library installs no signal handler of
 * its own, so this program calls trawk_stop() from its own. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <trawk.h>

static struct trawk *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		trawk_stop(running);
}

/* "Attached N probes", warnings and messages the script makes. */
static void on_message(const char *text, void *arg)
{
	fprintf(arg, "[trawk] %s", text);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s 'SCRIPT'\n", argv[0]);
		return 2;
	}
	struct trawk *t = trawk_new();
	TRAWK_OPTS(trawk_compile_opts, copts);
	if (trawk_compile(t, "script", argv[1], strlen(argv[1]), &copts)) {
		fputs(trawk_errors(t), stderr);
		trawk_free(t);
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	running = t;
	TRAWK_OPTS(trawk_run_opts, ropts, .message = on_message, .message_arg = stderr);
	int status = trawk_run(t, &ropts);
	running = NULL;
	fputs(trawk_errors(t), stderr);   /* an error that ended the run */
	trawk_free(t);
	trawk_cleanup();
	return status;
}
