import { Directive, ElementRef, HostListener, inject, input } from '@angular/core';
import { NgControl } from '@angular/forms';
import { normalizeAmount } from './amount-input';
import { MASKS, type MaskKind } from './masks';

/** `<input krtMask="cpf" formControlName="cpf">`: keeps the control's value formatted. */
@Directive({ selector: 'input[krtMask]', standalone: true })
export class MaskDirective {
  readonly krtMask = input.required<MaskKind>();
  private readonly el = inject<ElementRef<HTMLInputElement>>(ElementRef);
  private readonly control = inject(NgControl, { optional: true, self: true });

  @HostListener('input')
  onInput(): void {
    this.show(MASKS[this.krtMask()](this.el.nativeElement.value));
  }

  /** An amount is shown the way it was read once the customer leaves the field ("10.50" → "10,50"). */
  @HostListener('blur')
  onBlur(): void {
    if (this.krtMask() === 'amount') this.show(normalizeAmount(this.el.nativeElement.value));
  }

  private show(formatted: string): void {
    const el = this.el.nativeElement;
    if (formatted === el.value && this.control?.value === formatted) return;
    el.value = formatted;
    this.control?.control?.setValue(formatted);
  }
}
