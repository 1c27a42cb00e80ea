import { Directive, ElementRef, HostListener, inject, input } from '@angular/core';
import { NgControl } from '@angular/forms';
import { MASKS, type MaskKind } from './masks';

/** `<input krtMask="cpf" formControlName="cpf">`: keeps the control's value formatted. */
@Directive({ selector: 'input[krtMask]', standalone: true })
export class MaskDirective {
  readonly krtMask = input.required<MaskKind>();
  private readonly el = inject<ElementRef<HTMLInputElement>>(ElementRef);
  private readonly control = inject(NgControl, { optional: true, self: true });

  @HostListener('input')
  onInput(): void {
    const el = this.el.nativeElement;
    const formatted = MASKS[this.krtMask()](el.value);
    if (formatted === el.value && this.control?.value === formatted) return;
    el.value = formatted;
    this.control?.control?.setValue(formatted);
  }
}
