/*
 * Virtual memory layout shared by the kernel and the libOS.
 *
 *   0xFFFFFFFF80000000  KERNBASE  kernel image (text RX, rodata R, data/bss RW)
 *   0xFFFF800000000000  KPHYS     direct map of all physical RAM (RW, NX, kernel only)
 *   ---------------------------- kernel/user boundary ------------------------
 *   0x00007F8000000000  UVPT      read-only self-map of the environment's page tables
 *   0x00007F0000000000  UEXPORT   read-only kernel exports (info page, frame table, ...)
 *                       ULIM      = UEXPORT: user mappings must lie below this
 *   0x00007F0000000000  USTACKTOP top of the initial user stack (grows down)
 *   0x0000000000400000  UTEXT     where user programs are linked
 *   0x0000000000000000            unmapped (NULL guard)
 */
#ifndef EXO_MEMLAYOUT_H
#define EXO_MEMLAYOUT_H

#define PAGE_SIZE     4096UL
#define PAGE_SHIFT    12
#define LARGE_PAGE_SIZE (2UL << 20)

#define KERNBASE      0xFFFFFFFF80000000UL
#define KPHYS         0xFFFF800000000000UL

#define UVPT          0x00007F8000000000UL  /* PML4 slot 255 */
#define UEXPORT       0x00007F0000000000UL  /* PML4 slot 254 */
#define ULIM          UEXPORT
#define USTACKTOP     UEXPORT
#define UTEXT         0x0000000000400000UL
/* The kernel maps every boot module read-only into the boot environment here, in
 * order, each starting on a page (exo_info.modules[i].uva). */
#define UMODULES      0x0000700000000000UL
/* Where the libOS puts its exception stack (EXO_XSTACK_SIZE below this). */
#define UXSTACKTOP    0x00007E0000000000UL

/* Read-only exports inside the UEXPORT slot. */
#define UINFO         (UEXPORT)                 /* struct exo_info, one page */
#define USLOTS        (UEXPORT + 0x00001000UL)  /* struct exo_slots, one page */
#define UCOUNTERS     (UEXPORT + 0x00002000UL)  /* struct exo_counters, one page */
#define UENVS         (UEXPORT + 0x00200000UL)  /* struct exo_env_view[EXO_NENV] */
#define UFRAMES       (UEXPORT + 0x40000000UL)  /* struct exo_frame[nframes] */
#define UPTSUMS       (UEXPORT + 0x80000000UL)  /* uint16_t[nframes]: page tables' summaries */

#define UVPT_SLOT     255
#define UEXPORT_SLOT  254

/* Initial stack the kernel gives the boot environment. */
#define USTACK_PAGES  2   /* the libOS grows the stack on demand below them */

#endif
