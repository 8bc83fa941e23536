import type {
  CreateInviteRequest,
  CreateUnitRequest,
  InviteResponse,
  JoinUnitRequest,
  MemberResponse,
  MembershipResponse,
  MembershipStatus,
  MeResponse,
  PhoneNumberResponse,
  RosterEntryResponse,
  RosterImportResponse,
  UnitResponse,
  UpdateUnitRequest,
} from '@qmfz/contracts'

import { api } from './client'

const unitPath = (unitId: string) => `/units/${encodeURIComponent(unitId)}`

/** Identity and organisation routes, typed by the shared contracts. */
export const orgApi = {
  me: () => api.get<MeResponse>('/me'),
  bindPhone: (code: string) => api.post<PhoneNumberResponse>('/auth/phone', { code }),

  units: () => api.get<UnitResponse[]>('/units'),
  createUnit: (body: CreateUnitRequest) => api.post<UnitResponse>('/units', body),
  renameUnit: (unitId: string, body: UpdateUnitRequest) => api.patch<UnitResponse>(unitPath(unitId), body),

  join: (body: JoinUnitRequest) => api.post<MembershipResponse>('/memberships/join', body),
  members: (unitId: string, status?: MembershipStatus) =>
    api.get<MemberResponse[]>(`${unitPath(unitId)}/members`, { query: { status } }),
  approve: (unitId: string, membershipId: string) =>
    api.post<MemberResponse>(`${unitPath(unitId)}/members/${encodeURIComponent(membershipId)}/approve`),
  reject: (unitId: string, membershipId: string) =>
    api.post<MemberResponse>(`${unitPath(unitId)}/members/${encodeURIComponent(membershipId)}/reject`),

  invites: (unitId: string) => api.get<InviteResponse[]>(`${unitPath(unitId)}/invites`),
  createInvite: (unitId: string, body: CreateInviteRequest) => api.post<InviteResponse>(`${unitPath(unitId)}/invites`, body),
  revokeInvite: (unitId: string, inviteId: string) => api.delete(`${unitPath(unitId)}/invites/${encodeURIComponent(inviteId)}`),

  roster: (unitId: string) => api.get<RosterEntryResponse[]>(`${unitPath(unitId)}/roster`),
  importRoster: (unitId: string, filePath: string, fileName?: string) =>
    api.upload<RosterImportResponse>(`${unitPath(unitId)}/roster`, { filePath, field: 'file', fileName }),
}
