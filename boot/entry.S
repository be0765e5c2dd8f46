/*
 * Kernel entry: multiboot1 and multiboot2 headers, the 32-bit entry point, and the
 * trampoline into 64-bit long mode at the higher-half kernel address.
 *
 * Both boot paths arrive here in 32-bit protected mode with paging off:
 *   multiboot2 (GRUB2):   eax = 0x36d76289, ebx = physical address of the info block
 *   multiboot1 (QEMU -kernel): eax = 0x2BADB002, ebx = physical address of the info
 * We keep eax/ebx, build a boot page table (first 1 GiB identity-mapped and again at
 * KERNBASE), enable PAE + long mode + NX + write-protect, and jump to kmain() in
 * the higher half. exo/vm.c later replaces these page tables with the real ones.
 */
#define KERNBASE 0xFFFFFFFF80000000

#define MB1_MAGIC  0x1BADB002
#define MB1_FLAGS  0x00010003  /* page-align modules, memory info, address fields */
#define MB2_MAGIC  0xE85250D6

	.section .multiboot, "a"
	.balign 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header          /* header_addr (physical) */
	.long __load_start        /* load_addr */
	.long __load_end_phys     /* load_end_addr */
	.long __bss_end_phys      /* bss_end_addr */
	.long _start              /* entry_addr */

	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0                   /* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* module alignment tag: modules page-aligned */
	.balign 8
	.short 6, 0
	.long 8
	/* end tag */
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, boot_magic
	movl %ebx, boot_info
	movl $boot_stack_top, %esp

	/* Long mode and NX are in CPUID leaf 0x80000001; refuse politely without them. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	testl $(1 << 20), %edx               /* NX: the kernel maps data no-execute */
	jz no_long_mode

	movl %cr4, %eax
	orl $(1 << 5), %eax                  /* PAE */
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx               /* EFER */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax    /* LME, NXE */
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | 1), %eax  /* PG, WP, PE */
	movl %eax, %cr0

	lgdt boot_gdt_desc
	ljmp $0x08, $start64

no_long_mode:
	/* Print a message on COM1 and stop: without long mode there is nothing to do. */
	movl $no_lm_msg, %esi
1:	movb (%esi), %al
	testb %al, %al
	jz 2f
	movw $0x3F8, %dx
	outb %al, %dx
	incl %esi
	jmp 1b
2:	hlt
	jmp 2b

	.code64
start64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_kstack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic, %edi
	movl boot_info, %esi
	movabsq $kmain, %rax
	call *%rax
3:	hlt
	jmp 3b

	.section .boot.data, "aw"
	.balign 4096
	/* PML4: slot 0 identity, slot 511 -> KERNBASE. Both reach the same 1 GiB. */
boot_pml4:
	.quad boot_pdpt_low + 0x3
	.fill 510, 8, 0
	.quad boot_pdpt_high + 0x3
boot_pdpt_low:
	.quad boot_pd + 0x3
	.fill 511, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad boot_pd + 0x3          /* KERNBASE = slot 510 of the last PDPT */
	.quad 0
boot_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) | 0x83       /* present, writable, 2 MiB */
	.set i, i + 1
	.endr

	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF     /* 0x08: 64-bit kernel code */
	.quad 0x00CF92000000FFFF     /* 0x10: kernel data */
boot_gdt_desc:
	.short boot_gdt_desc - boot_gdt - 1
	.long boot_gdt

	.globl boot_magic, boot_info
boot_magic: .long 0
boot_info:  .long 0
no_lm_msg:  .asciz "boot: this CPU lacks long mode or NX (x86-64); cannot continue\r\n"

	.balign 16
	.space 1024
boot_stack_top:

	.section .bss
	.balign 16
	.globl boot_kstack, boot_kstack_top
boot_kstack:
	.space 16384
boot_kstack_top:
