import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Execution, IExecutionRepository } from '../../../domain/repositories/execution.repository';
import { ExecutionDocument } from '../schemas/execution.schema';

@Injectable()
export class MongoExecutionRepository implements IExecutionRepository {
  constructor(@InjectModel(ExecutionDocument.name) private readonly model: Model<ExecutionDocument>) {}

  async save(execution: Execution): Promise<Execution> {
    await this.model.updateOne({ _id: execution.id }, execution, { upsert: true });
    return execution;
  }

  async findById(id: string): Promise<Execution | null> {
    return this.model.findById(id).lean<Execution>();
  }
}
