import { Injectable, Optional } from '@nestjs/common';
import { BudgetProps, IBudgetRepository, IEventPublisher } from './ports';
import { Clock } from './clock';

@Injectable()
export class CreateBudgetUseCase {
  constructor(
    private readonly budgetRepository: IBudgetRepository,
    private readonly eventPublisher: IEventPublisher,
    private readonly clock: Clock,
    @Optional() private readonly defaults?: BudgetProps,
  ) {}
}

export class Budget {
  // Not built by Nest: an interface-typed parameter is fine here.
  constructor(private readonly repo: IBudgetRepository) {}
}
