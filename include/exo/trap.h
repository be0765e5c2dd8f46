/*
 * x86 trap numbers and page-fault error bits, as the kernel reports them in an
 * upcall (struct exo_utf: trapno, err). Plain #defines, so C and assembly share
 * them: named once, here.
 */
#ifndef EXO_TRAP_H
#define EXO_TRAP_H

#define EXO_T_DIVIDE  0    /* divide error */
#define EXO_T_DEBUG   1
#define EXO_T_NMI     2
#define EXO_T_BRKPT   3    /* int3 */
#define EXO_T_ILLOP   6    /* invalid opcode */
#define EXO_T_DBLFLT  8    /* double fault: always the kernel's */
#define EXO_T_GPFLT   13   /* general protection */
#define EXO_T_PGFLT   14   /* page fault (fault_va = the address) */
#define EXO_T_FPERR   16   /* x87 floating point */
#define EXO_T_MCHK    18   /* machine check: always the kernel's */
#define EXO_T_SIMDERR 19   /* SSE floating point */
#define EXO_T_NEXC    32   /* CPU exceptions are numbers 0 .. EXO_T_NEXC-1 */

/* Page-fault error code bits (err of an EXO_T_PGFLT). */
#define EXO_PF_PRESENT 0x01  /* a protection violation (else: nothing mapped) */
#define EXO_PF_WRITE   0x02
#define EXO_PF_USER    0x04
#define EXO_PF_EXEC    0x10  /* an instruction fetch */

#endif
