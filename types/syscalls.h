/* The system calls of x86_64 Linux, by number and by name. */
#ifndef TRAWK_TYPES_SYSCALLS_H
#define TRAWK_TYPES_SYSCALLS_H

#include <stddef.h>

/* Indexed by number; NULL where no system call has that number. */
extern const char *const syscall_names[];
extern const size_t syscall_count;

/* The number of the system call whose tracepoints are sys_enter_NAME and
 * sys_exit_NAME, or -1 when the table does not know it. */
int syscall_nr_of_event(const char *name);

#endif
