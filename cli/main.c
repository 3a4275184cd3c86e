/* The trawk command: bpftrace's options, plus --timeout, --check and
 * --emit-obj.  Uses only the public API.  Exit status: 0 on success, the
 * script's exit() code, or 1 on any error. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <wordexp.h>
#include <unistd.h>

#include "trawk.h"

enum {
	OPT_DRY_RUN = 256, OPT_NO_WARNINGS, OPT_TIMEOUT, OPT_CHECK, OPT_EMIT_OBJ, OPT_INCLUDE,
	OPT_UNSAFE, OPT_VERSION, OPT_HELP, OPT_INFO, OPT_USDT_FILE_ACTIVATION,
};

static const struct option long_opts[] = {
	{ "list", optional_argument, NULL, 'l' },
	{ "pid", required_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "debug", required_argument, NULL, 'd' },
	{ "warnings", no_argument, NULL, 'k' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "no-warnings", no_argument, NULL, OPT_NO_WARNINGS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "emit-obj", required_argument, NULL, OPT_EMIT_OBJ },
	{ "emit-elf", required_argument, NULL, OPT_EMIT_OBJ },
	{ "include", required_argument, NULL, OPT_INCLUDE },
	{ "unsafe", no_argument, NULL, OPT_UNSAFE },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "info", no_argument, NULL, OPT_INFO },
	{ "usdt-file-activation", no_argument, NULL, OPT_USDT_FILE_ACTIVATION },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("USAGE:\n"
	      "    trawk [options] filename\n"
	      "    trawk [options] - <stdin input>\n"
	      "    trawk [options] -e 'program'\n"
	      "\n"
	      "OPTIONS:\n"
	      "    -B MODE        output buffering mode ('line', 'full', or 'none')\n"
	      "    -d STAGE       debug info: ast, types, codegen (LLVM IR), bytecode (BPF\n"
	      "                   instructions); several: -d ast,types\n"
	      "    -e 'program'   execute this program\n"
	      "    -f FORMAT      output format ('text', 'json')\n"
	      "    -h, --help     show this help message\n"
	      "    -I DIR         add the directory to the include search path (accepted; headers are not read)\n"
	      "    --include FILE add an #include file before preprocessing (accepted; headers are not read)\n"
	      "    -l [search]    list probes\n"
	      "    -o file        redirect program output to file\n"
	      "    -p PID         filter or attach to the process with PID\n"
	      "    -c CMD         run CMD (started once probes are attached) and exit when it does\n"
	      "    -q             keep messages quiet\n"
	      "    -v             verbose messages: raw libbpf and verifier logs on failure\n"
	      "    -k             emit a warning when a helper fails (accepted)\n"
	      "    --dry-run      compile, load and attach, then exit (runs nothing)\n"
	      "    --no-warnings  disable warnings\n"
	      "    --unsafe       allow unsafe builtin functions (system)\n"
	      "    -V, --version  trawk version\n"
	      "    --info         print the system, the build and the kernel's BPF features\n"
	      "    --usdt-file-activation\n"
	      "                   accepted: USDT semaphores are counted by the kernel for every process\n"
	      "\n"
	      "TRAWK EXTENSIONS:\n"
	      "    --timeout SECS stop after SECS seconds (END runs and maps print, exit status 0)\n"
	      "    --check        parse and type-check only; load nothing\n"
	      "    --emit-obj FILE  write the compiled BPF ELF object to FILE\n"
	      "\n"
	      "EXAMPLES:\n"
	      "trawk -l '*sleep*'\n"
	      "    list probes containing \"sleep\"\n"
	      "trawk -e 'tracepoint:syscalls:sys_enter_nanosleep { printf(\"PID %d sleeping...\\n\", pid); }'\n"
	      "    trace processes calling sleep\n"
	      "trawk -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'\n"
	      "    count syscalls by process name\n", f);
}

struct cli {
	const char *program;
	const char *file;
	bool list;
	const char *list_pattern;
	const char *debug;
	const char *output;
	const char *emit_obj;
	const char *cmd;          /* -c */
	wordexp_t words;          /* -c's words, the program resolved on PATH */
	bool have_words;
	char *prog;
	int exec_err_fd;          /* -c: the child's errno if exec failed; -1 */
	bool check;
	/* --name=value words among the options: named parameters, which
	 * bpftrace also takes before "--". */
	const char **early_named;
	size_t nearly;
	struct trawk_run_opts run;
	struct trawk_compile_opts compile;
};

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "trawk: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

/* -p: digits only, a pid the kernel could give, of a process that exists
 * now (one we may not signal exists too). */
static int parse_pid(const char *arg, int *pid)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || *end || errno || v <= 0 || v > INT_MAX)
		return fail("invalid -p '%s': expected a process id", arg);
	if (kill((pid_t)v, 0) && errno == ESRCH)
		return fail("-p %s: no such process", arg);
	*pid = (int)v;
	return 0;
}

static const char *const stages[] = { "ast", "types", "codegen", "bytecode", "all", NULL };

/* -d takes stage names separated by commas. */
static int check_stages(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		return 1;
	int rc = 0;
	for (char *s = strtok_r(copy, ",", &save); s && !rc; s = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (stages[i] && strcmp(stages[i], s))
			i++;
		if (!stages[i]) {
			fprintf(stderr, "trawk: error: invalid -d stage '%s': expected ast, types, codegen, bytecode or all\n", s);
			rc = 1;
		}
	}
	free(copy);
	return rc;
}

static int parse_options(struct cli *c, int argc, char **argv)
{
	int opt;
	opterr = 0;   /* unknown --words may be named parameters: reported here or by the compiler */
	/* '+': stop at the first non-option (the script file), as bpftrace does. */
	while ((opt = getopt_long(argc, argv, "+:e:l::p:vd:kf:o:qB:I:Vhc:", long_opts, NULL)) != -1) {
		const char *word = argv[optind - 1];
		switch (opt) {
		case '?':
			if (!strncmp(word, "--", 2) && word[2]) {
				c->early_named[c->nearly++] = word;
				break;
			}
			fprintf(stderr, "trawk: unknown option '%s'\n", word);
			usage(stderr);
			return 1;
		case ':':
			return fail("option '%s' needs a value", word);
		case 'e': c->program = optarg; break;
		case 'l':
			c->list = true;
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			c->list_pattern = optarg;
			break;
		case 'p':
			if (parse_pid(optarg, &c->run.pid))
				return 1;
			c->compile.pid = c->run.pid;
			break;
		case 'v': c->run.verbose++; break;
		case 'd':
			if (check_stages(optarg))
				return 1;
			c->debug = optarg;
			break;
		case 'k': break;
		case 'f':
			if (!strcmp(optarg, "json"))
				c->run.format = TRAWK_JSON;
			else if (strcmp(optarg, "text"))
				return fail("invalid output format '%s': expected text or json", optarg);
			break;
		case 'o': c->output = optarg; break;
		case 'q': c->run.quiet = true; break;
		case 'B':
			if (!strcmp(optarg, "full"))
				c->run.buffering = TRAWK_BUFFER_FULL;
			else if (!strcmp(optarg, "none"))
				c->run.buffering = TRAWK_BUFFER_NONE;
			else if (strcmp(optarg, "line"))
				return fail("invalid buffering mode '%s': expected line, full or none", optarg);
			break;
		case 'I': case OPT_INCLUDE: break;
		case OPT_UNSAFE: c->compile.unsafe = true; break;
		case 'c': c->cmd = optarg; break;
		case OPT_DRY_RUN: c->run.dry_run = true; break;
		case OPT_NO_WARNINGS: c->compile.no_warnings = true; break;
		case OPT_TIMEOUT: {
			char *end;
			c->run.timeout = strtod(optarg, &end);
			if (*end || c->run.timeout <= 0)
				return fail("invalid --timeout '%s': expected a number of seconds", optarg);
			break;
		}
		case OPT_CHECK: c->check = true; break;
		case OPT_EMIT_OBJ: c->emit_obj = optarg; break;
		case 'V': printf("trawk v%s\n", trawk_version()); exit(0);
		case 'h': usage(stdout); exit(0);
		case OPT_INFO: exit(trawk_info(stdout) ? 1 : 0);
		/* Semaphores are counted by the kernel's uprobes (ref_ctr_offset), so
		 * a process started later is covered already. */
		case OPT_USDT_FILE_ACTIVATION: break;
		default: usage(stderr); return 1;
		}
	}
	return 0;
}

static char *read_script(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

static bool want_stage(const char *list, const char *stage)
{
	if (!list)
		return false;
	if (!strcmp(list, "all"))
		return true;
	size_t n = strlen(stage);
	for (const char *p = list; (p = strstr(p, stage)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

static int write_object(struct trawk *t, const char *path)
{
	const void *obj;
	size_t len;
	if (trawk_object(t, &obj, &len))
		return fail("%s", "no object was compiled");
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(obj, 1, len, f) != len || fclose(f))
		return fail("cannot write %s", path);
	return 0;
}

/* The file execvp would run, or NULL with errno set. */
static char *find_program(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : strdup(name);
	const char *path = getenv("PATH");
	char *dirs = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	char *found = NULL, *save = NULL;
	int err = ENOENT;
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *file;
		if (asprintf(&file, "%s/%s", *d ? d : ".", name) < 0)
			break;
		struct stat st;
		if (!access(file, X_OK) && !stat(file, &st) && S_ISREG(st.st_mode))
			found = file;
		else {
			err = errno == EACCES ? EACCES : err;
			free(file);
		}
	}
	free(dirs);
	if (!found)
		errno = err;
	return found;
}

/* -c CMD is split and found before anything is compiled, so a mistake in
 * it costs no probe. */
static int resolve_command(struct cli *c)
{
	c->have_words = wordexp(c->cmd, &c->words, WRDE_NOCMD) == 0;
	if (!c->have_words || !c->words.we_wordc)
		return fail("-c '%s': expected a command", c->cmd);
	c->prog = find_program(c->words.we_wordv[0]);
	if (!c->prog) {
		fprintf(stderr, "trawk: -c: cannot run '%s': %s\n", c->words.we_wordv[0], strerror(errno));
		return 1;
	}
	return 0;
}

/* The forked child waits until the probes are attached, then becomes the
 * command (its pid is cpid, as in bpftrace).  An exec that fails sends its
 * errno back on a pipe that a successful exec closes. */
static void run_child(struct cli *c, int go_fd, int err_fd)
{
	char b;
	if (read(go_fd, &b, 1) != 1)
		_exit(127);   /* trawk gave up: never run the command */
	execv(c->prog, c->words.we_wordv);
	int err = errno;
	if (write(err_fd, &err, sizeof(err)) != sizeof(err))
		_exit(127);
	_exit(127);
}

/* -c CMD: the child is forked first, so its pid is known when compiling. */
static int start_child(struct cli *c)
{
	int go[2], err[2];
	if (pipe(go))
		return -1;
	if (pipe2(err, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(go[1]);
		close(err[0]);
		run_child(c, go[0], err[1]);
	}
	close(go[0]);
	close(err[1]);
	c->exec_err_fd = err[0];
	c->compile.cpid = pid;
	c->compile.pid = pid;
	c->run.pid = pid;
	c->run.child_pid = pid;
	c->run.child_go_fd = go[1];
	return 0;
}

/* After the run: a child that never started is told so, one still running
 * is asked to end (SIGTERM, then SIGKILL after a second), as bpftrace does.
 * Returns -1 when the command could not be run. */
static int end_child(struct cli *c)
{
	if (c->run.child_go_fd > 0)
		close(c->run.child_go_fd);   /* a child still waiting exits unrun */
	pid_t pid = c->run.child_pid;
	int status;
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGTERM);
		for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; i++)
			usleep(10000);
		if (kill(pid, SIGKILL) == 0)
			waitpid(pid, &status, 0);
	}
	int err = 0;
	bool failed = read(c->exec_err_fd, &err, sizeof(err)) == sizeof(err);
	close(c->exec_err_fd);
	if (failed)
		fprintf(stderr, "trawk: -c: cannot run '%s': %s\n", c->words.we_wordv[0], strerror(err));
	return failed ? -1 : 0;
}

/* -e 'script.bt' is a common slip: the program is then the file's name. */
static void hint_file_program(const char *program)
{
	size_t n = strlen(program);
	if (strpbrk(program, "{}; \t\n") || n == 0)
		return;
	bool bt = n > 3 && !strcmp(program + n - 3, ".bt");
	if (bt || access(program, R_OK) == 0)
		fprintf(stderr, "trawk: note: -e takes a program, and '%s' looks like a file name; "
			"to run the file, give it without -e\n", program);
}

extern char **environ;

/* The run that SIGINT and SIGTERM end (the library installs no handlers). */
static struct trawk *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		trawk_stop(running);
}

static void install_signals(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the run's poll returns at once and sees the stop. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Messages of a run (warnings, "Attached N probes") go to stderr as they
 * come, after the output written so far. */
static void on_message(const char *text, void *arg)
{
	(void)arg;
	fputs(text, stderr);
}

static int compile_and_run(struct cli *c, const char *name, const char *text, size_t len)
{
	if (c->cmd && !c->check) {
		if (resolve_command(c))
			return 1;
		if (start_child(c))
			return fail("-c: cannot start the command: %s", strerror(errno));
	}
	struct trawk *t = trawk_new();
	c->compile.want_ir = want_stage(c->debug, "codegen");
	c->compile.want_ast = want_stage(c->debug, "ast");
	c->compile.check_only = c->check;
	int rc = trawk_compile(t, name, text, len, &c->compile);
	fputs(trawk_errors(t), stderr);
	if (rc && c->program)
		hint_file_program(c->program);
	if (want_stage(c->debug, "ast"))
		trawk_dump(t, TRAWK_DUMP_AST, stdout);
	if (!rc && want_stage(c->debug, "types"))
		trawk_dump(t, TRAWK_DUMP_TYPES, stdout);
	if (!rc && c->compile.want_ir)
		trawk_dump(t, TRAWK_DUMP_IR, stdout);
	if (!rc && want_stage(c->debug, "bytecode"))
		trawk_dump(t, TRAWK_DUMP_BYTECODE, stdout);
	int status = rc ? 1 : 0;
	if (!rc && c->emit_obj)
		status = write_object(t, c->emit_obj);
	if (!rc && !c->check && !c->debug && !c->emit_obj) {
		FILE *out = NULL;
		if (c->output && !(out = fopen(c->output, "w"))) {
			fprintf(stderr, "trawk: error: cannot open output file \"%s\": %s\n", c->output, strerror(errno));
			trawk_free(t);
			return 1;
		}
		c->run.out = out;
		c->run.out_name = c->output;
		size_t before = strlen(trawk_errors(t));
		running = t;
		install_signals(on_signal);
		status = trawk_run(t, &c->run);
		install_signals(SIG_DFL);
		running = NULL;
		fputs(trawk_errors(t) + before, stderr);
		if (out)
			fclose(out);
	}
	if (c->run.child_pid > 0 && end_child(c))
		status = 1;
	trawk_free(t);
	return status;
}

/* script -- --help: the script's named parameters. */
static int show_params(struct cli *c, const char *name, const char *text, size_t len)
{
	struct trawk *t = trawk_new();
	c->compile.check_only = true;
	int rc = trawk_compile(t, name, text, len, &c->compile);
	fputs(trawk_errors(t), stderr);
	if (rc && c->program)
		hint_file_program(c->program);
	if (!rc && trawk_params_help(t, stdout) == 0)
		printf("%s takes no named parameters\n", name);
	trawk_free(t);
	return rc ? 1 : 0;
}

static int cli_main(struct cli *cp, int argc, char **argv);

/* -l: what could not be listed is said, not left out silently. */
static int list_probes(const char *pattern, int pid)
{
	int rc = trawk_list_process(pattern, pid, stdout);
	if (rc == -EACCES)
		fputs("trawk: tracepoints are not listed: tracefs (/sys/kernel/tracing) may be read only by root\n", stderr);
	else if (rc == -ENOENT)
		fputs("trawk: tracepoints are not listed: tracefs is not mounted on /sys/kernel/tracing\n", stderr);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* A reader that goes away is an EPIPE the run reports, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	struct cli c = {
		.run = { .sz = sizeof(struct trawk_run_opts), .message = on_message },
		.compile = { .sz = sizeof(struct trawk_compile_opts), .env = (const char *const *)environ },
	};
	c.early_named = calloc((size_t)argc + 1, sizeof(char *));
	int status = c.early_named ? cli_main(&c, argc, argv) : 1;
	free(c.early_named);
	return status;
}

static int cli_main(struct cli *cp, int argc, char **argv)
{
	struct cli c = *cp;   /* the caller keeps what it must free */
	if (parse_options(&c, argc, argv))
		return 1;
	if (c.list && !c.program)
		return list_probes(c.list_pattern, c.run.pid);
	const char *name = "stdin";
	char *text = NULL;
	size_t len = 0;
	if (c.program) {
		text = strdup(c.program);
		len = strlen(text);
	} else if (optind < argc) {
		c.file = argv[optind++];
		text = read_script(c.file, &len);
		if (!text) {
			fprintf(stderr, "trawk: error: failed to open file '%s': %s\n", c.file, strerror(errno));
			return 1;
		}
		if (strcmp(c.file, "-"))
			name = c.file;
	} else {
		usage(stderr);
		return 1;
	}
	/* What follows the script: positional parameters, and after "--" also
	 * named ones (--name=value) for getopt(). */
	const char **pos = calloc((size_t)argc + 1, sizeof(char *));
	const char **named = calloc((size_t)argc + 1, sizeof(char *));
	/* getopt swallows a "--" that comes right after the options. */
	bool after_dashes = optind > 1 && !strcmp(argv[optind - 1], "--"), help = false;
	for (size_t i = 0; i < c.nearly; i++)
		named[c.compile.nnamed++] = c.early_named[i];
	for (int i = optind; i < argc; i++) {
		if (!after_dashes && !strcmp(argv[i], "--"))
			after_dashes = true;
		else if (!strncmp(argv[i], "--", 2) && argv[i][2] && (after_dashes || strcmp(argv[i], "--help"))) {
			named[c.compile.nnamed++] = argv[i];
			help = help || !strcmp(argv[i], "--help");
		} else
			pos[c.compile.nparams++] = argv[i];
	}
	c.compile.params = pos;
	c.compile.named = named;
	int status = help ? show_params(&c, name, text, len) : compile_and_run(&c, name, text, len);
	if (c.have_words)
		wordfree(&c.words);
	free(c.prog);
	free(pos);
	free(named);
	free(text);
	trawk_cleanup();
	return status;
}
