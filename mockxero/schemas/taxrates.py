"""The TaxRate wire shape and its components."""

from __future__ import annotations

from ..statuses import TaxRateStatus, values
from .base import XeroSchema
from .common import nested_list
from .fields import Choice, Flag, Money, Text

TAX_RATE_STATUSES = values(TaxRateStatus)
# components.schemas.TaxRate.properties.ReportTaxType of Xero's OpenAPI spec.
REPORT_TAX_TYPES = (
    "AVALARA",
    "BASEXCLUDED",
    "CAPITALSALESOUTPUT",
    "CAPITALEXPENSESINPUT",
    "ECOUTPUT",
    "ECOUTPUTSERVICES",
    "ECINPUT",
    "ECACQUISITIONS",
    "EXEMPTEXPENSES",
    "EXEMPTINPUT",
    "EXEMPTOUTPUT",
    "GSTONIMPORTS",
    "INPUT",
    "INPUTTAXED",
    "MOSSSALES",
    "NONE",
    "NONEOUTPUT",
    "OUTPUT",
    "PURCHASESINPUT",
    "SALESOUTPUT",
    "EXEMPTCAPITAL",
    "EXEMPTEXPORT",
    "CAPITALEXINPUT",
    "GSTONCAPIMPORTS",
    "GSTONCAPITALIMPORTS",
    "REVERSECHARGES",
    "PAYMENTS",
    "INVOICE",
    "CASH",
    "ACCRUAL",
    "FLATRATECASH",
    "FLATRATEACCRUAL",
    "ACCRUALS",
    "TXCA",
    "SRCAS",
    "DSOUTPUT",
    "BLINPUT2",
    "EPINPUT",
    "IMINPUT2",
    "MEINPUT",
    "IGDSINPUT2",
    "ESN33OUTPUT",
    "OPINPUT",
    "OSOUTPUT",
    "TXN33INPUT",
    "TXESSINPUT",
    "TXREINPUT",
    "TXPETINPUT",
    "NRINPUT",
    "ES33OUTPUT",
    "ZERORATEDINPUT",
    "ZERORATEDOUTPUT",
    "DRCHARGESUPPLY",
    "DRCHARGE",
    "CAPINPUT",
    "CAPIMPORTS",
    "IMINPUT",
    "INPUT2",
    "CIUINPUT",
    "SRINPUT",
    "OUTPUT2",
    "SROUTPUT",
    "CAPOUTPUT",
    "SROUTPUT2",
    "CIUOUTPUT",
    "ZROUTPUT",
    "ZREXPORT",
    "ACC28PLUS",
    "ACCUPTO28",
    "OTHEROUTPUT",
    "SHOUTPUT",
    "ZRINPUT",
    "BADDEBT",
    "OTHERINPUT",
    "BADDEBTRELIEF",
    "IGDSINPUT3",
    "SROVR",
    "TOURISTREFUND",
    "TXRCN33",
    "TXRCRE",
    "TXRCESS",
    "TXRCTS",
    "CAPEXINPUT",
    "UNDEFINED",
    "CAPEXOUTPUT",
    "ZEROEXPOUTPUT",
    "GOODSIMPORT",
    "NONEINPUT",
    "NOTREPORTED",
    "SROVRRS",
    "SROVRLVG",
    "SRLVG",
    "IM",
    "IMESS",
    "IMN33",
    "IMRE",
    "BADDEBTRECOVERY",
    "USSALESTAX",
    "BLINPUT3",
)


class TaxComponentSchema(XeroSchema):
    Name = Text()
    Rate = Money(allow_none=True)
    IsCompound = Flag()
    IsNonRecoverable = Flag()


class TaxRateSchema(XeroSchema):
    Name = Text()
    TaxType = Text()
    ReportTaxType = Choice(REPORT_TAX_TYPES, "ReportTaxType")
    CanApplyToAssets = Flag(dump_only=True)
    CanApplyToEquity = Flag(dump_only=True)
    CanApplyToExpenses = Flag(dump_only=True)
    CanApplyToLiabilities = Flag(dump_only=True)
    CanApplyToRevenue = Flag(dump_only=True)
    DisplayTaxRate = Money(dump_only=True)
    EffectiveRate = Money(dump_only=True)
    Status = Choice(TAX_RATE_STATUSES, "TaxRateStatus")
    TaxComponents = nested_list(TaxComponentSchema)
