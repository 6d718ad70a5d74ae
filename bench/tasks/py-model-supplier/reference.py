import math


class Supplier(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z0-9]{3,10}$")
    name: str = Field(min_length=1, max_length=100)
    email: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    lead_time_days: int = Field(default=14, ge=0, le=365)
    tags: list[str] = Field(default_factory=list)

    @field_validator("code", "country", mode="before")
    @classmethod
    def upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def check_email(cls, value: str) -> str:
        value = value.lower()
        local, at, domain = value.partition("@")
        if not at or not local or "@" in domain or "." not in domain[1:-1]:
            raise ValueError("not a valid e-mail address")
        return value

    @field_validator("tags")
    @classmethod
    def clean_tags(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(tag.strip().lower() for tag in value if tag.strip()))

    @computed_field
    @property
    def lead_time_weeks(self) -> int:
        return math.ceil(self.lead_time_days / 7)
