"""The Organisation wire shape and the organisation's permitted actions."""

from __future__ import annotations

from marshmallow import fields

from .base import XeroSchema
from .fields import Flag, Text, WholeNumber, XeroDate, XeroDateTime


class OrganisationSchema(XeroSchema):
    """Read-only: Xero answers POST/PUT on /Organisation with 501."""

    OrganisationID = Text()
    APIKey = Text()
    Name = Text()
    LegalName = Text()
    PaysTax = Flag()
    Version = Text()
    OrganisationType = Text()
    BaseCurrency = Text()
    CountryCode = Text()
    IsDemoCompany = Flag()
    OrganisationStatus = Text()
    RegistrationNumber = Text()
    EmployerIdentificationNumber = Text()
    TaxNumber = Text()
    FinancialYearEndDay = WholeNumber()
    FinancialYearEndMonth = WholeNumber()
    SalesTaxBasis = Text()
    SalesTaxPeriod = Text()
    DefaultSalesTax = Text()
    DefaultPurchasesTax = Text()
    PeriodLockDate = XeroDate()
    EndOfYearLockDate = XeroDate()
    CreatedDateUTC = XeroDateTime()
    OrganisationEntityType = Text()
    Timezone = Text()
    ShortCode = Text()
    Edition = Text()
    Class = Text()
    LineOfBusiness = Text()
    Addresses = fields.List(fields.Dict())
    Phones = fields.List(fields.Dict())
    ExternalLinks = fields.List(fields.Dict())
    PaymentTerms = fields.Dict()


class ActionSchema(XeroSchema):
    Name = Text()
    Status = Text()
