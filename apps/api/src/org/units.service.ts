import { Injectable } from '@nestjs/common';
import { ErrorCode, type TownshipResponse, type UnitKind, type UnitResponse } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { isUniqueViolation } from '../common/db-errors.js';
import { newId } from '../common/ids.js';
import type { UnitEntity } from '../database/entities/index.js';
import { toTownshipResponse, toUnitResponse } from './org.mapper.js';
import { TownshipsRepository } from './townships.repository.js';
import { UnitsRepository } from './units.repository.js';

@Injectable()
export class UnitsService {
  constructor(
    private readonly townships: TownshipsRepository,
    private readonly units: UnitsRepository,
  ) {}

  async currentTownship(actor: Actor): Promise<TownshipResponse> {
    const township = await this.townships.findById(actor.townshipId);
    if (!township) throw AppException.notFound(ErrorCode.TOWNSHIP_NOT_FOUND);
    return toTownshipResponse(township);
  }

  async list(actor: Actor, kind?: UnitKind): Promise<UnitResponse[]> {
    return (await this.units.listInTownship(actor.townshipId, kind)).map(toUnitResponse);
  }

  /** Township admins only (checked by the route's @Roles); the unit lands in the caller's own township. */
  async create(actor: Actor, name: string, kind: UnitKind): Promise<UnitResponse> {
    const now = new Date();
    const unit: UnitEntity = { id: newId(), townshipId: actor.townshipId, name, kind, createdAt: now, updatedAt: now };
    await this.unlessNameTaken(() => this.units.insert(unit));
    return toUnitResponse(unit);
  }

  async rename(actor: Actor, unitId: string, name: string | undefined): Promise<UnitResponse> {
    const unit = await this.requireUnit(actor, unitId);
    if (name === undefined || name === unit.name) return toUnitResponse(unit);
    const now = new Date();
    await this.unlessNameTaken(() => this.units.rename(actor.townshipId, unit.id, name, now));
    return toUnitResponse({ ...unit, name, updatedAt: now });
  }

  /** A unit of the caller's township; one of another township is reported exactly like a missing one. */
  async requireUnit(actor: Actor, unitId: string): Promise<UnitEntity> {
    const unit = await this.units.findInTownship(actor.townshipId, unitId);
    if (!unit) throw AppException.notFound(ErrorCode.UNIT_NOT_FOUND);
    return unit;
  }

  /** As requireUnit, and the caller must be its unit admin or a township admin (403 otherwise). */
  async requireAdministeredUnit(actor: Actor, unitId: string): Promise<UnitEntity> {
    const unit = await this.requireUnit(actor, unitId);
    if (!actor.canAdministerUnit(unit.id)) throw AppException.forbidden();
    return unit;
  }

  private async unlessNameTaken(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw AppException.conflict(ErrorCode.UNIT_NAME_TAKEN);
      throw error;
    }
  }
}
